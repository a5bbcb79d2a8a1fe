// The group roles of a team catalog on PostgreSQL, by name: the migrations grant them their rights, and the job
// queue grants them the use of its schema. SQLite has no roles.

/** The group role of the people who annotate a team catalog; a person's own login role is made a member of it. */
export const ANNOTATOR_ROLE = 'brainseg_annotator';
/** Annotators who may also approve others' masks. */
export const REVIEWER_ROLE = 'brainseg_reviewer';
