/** The minimum Node version `engines.node` states (">=20.19" → "20.19"). */
export function requiredNode(packageJsonPath: string): string;
/** Null when `have` satisfies `required`; otherwise the message that says what to do. */
export function nodeRequirementProblem(have: string, required: string): string | null;
