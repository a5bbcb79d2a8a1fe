/** The PostgreSQL channel that the catalog's triggers notify (migration 0080) and every workstation listens on. */
export const CHANGE_CHANNEL = 'brainseg_catalog';
