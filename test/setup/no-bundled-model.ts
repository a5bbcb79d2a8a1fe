// Most tests are about a data folder's own history (import, edit, train from nothing), so by default their data
// folders start empty, as `BRAINSEG_BUNDLED_MODEL=none` makes them for users. The bundled-model tests set it back
// explicitly for the processes they start.
process.env['BRAINSEG_BUNDLED_MODEL'] ??= 'none';
