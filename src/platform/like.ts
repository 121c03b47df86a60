// LIKE patterns from user text. `%` and `_` are wildcards to LIKE: a search
// for "50%" must mean the characters "50%", not "50 followed by anything".
const escape = (text: string) => text.replace(/[\\%_]/g, (match) => `\\${match}`);

export const containsPattern = (text: string) => `%${escape(text.toLowerCase())}%`;
export const prefixPattern = (text: string) => `${escape(text)}%`;
