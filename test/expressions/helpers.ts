import { ExpressionError } from '../../lib/expressions';

/** The ExpressionError a call throws, as { message, offset }; fails the test if it throws none. */
export function errorOf(run: () => unknown): { message: string; offset: number } {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpressionError) return { message: error.message, offset: error.offset };
    throw error;
  }
  throw new Error('expected an ExpressionError, but nothing was thrown');
}
