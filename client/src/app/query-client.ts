import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/api-error';

/**
 * One quiet automatic retry for failures that may pass (network, 5xx); a refusal is final. Screens
 * show a "Try again" button after that.
 */
export function createQueryClient({ retries = 1 }: { retries?: number } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => error instanceof ApiError && error.retryable && failureCount < retries,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}
