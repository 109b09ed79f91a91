/** Internal: edge role codes, stored on edge states for fast traversal. */
export const ROLE_ASSOCIATION = 0;
/** Internal: a `dependency` edge: the source needs the target. */
export const ROLE_DEPENDENCY = 1;
/** Internal: a `structure` edge: both ends are one running unit. */
export const ROLE_STRUCTURE = 2;
