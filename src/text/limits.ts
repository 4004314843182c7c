/**
 * The most of a question that is read: the slash command's option stops there, the engine
 * analyses no more, and a reply's question line shows no more (escaping markdown takes time
 * quadratic in a line's length, so the bound also bounds that work).
 */
export const MAX_QUESTION_LENGTH = 500;
