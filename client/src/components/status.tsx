import type { ReactNode } from 'react';
import { ApiError, describeError } from '../lib/api-error';

export function Loading({ label }: { label: string }) {
  return (
    <p className="status" aria-busy="true" role="status">
      {label}
    </p>
  );
}

/** An error in words, with a way to try again when trying again can help. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const retryable = onRetry !== undefined && (!(error instanceof ApiError) || error.retryable);
  return (
    <div className="notice notice-error" role="alert">
      <p>{describeError(error)}</p>
      {retryable && (
        <button type="button" className="secondary outline" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function SuccessNotice({ children }: { children: ReactNode }) {
  return (
    <p className="notice notice-success" role="status">
      {children}
    </p>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty-state">{children}</div>;
}
