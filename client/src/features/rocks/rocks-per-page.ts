/**
 * How many more rocks a list shows at a time: a multiple of 1 to 4 columns, more than a screen's worth,
 * and few enough that adding them keeps the main thread's tasks short (see the benchmark).
 */
export const ROCKS_PER_PAGE = 24;
