/** The LocustTest API: schema, types, names and constants. */
export * as constants from './constants.ts';
export * from './names.ts';
export * from './v2/schema.ts';
