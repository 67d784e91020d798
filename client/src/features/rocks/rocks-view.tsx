import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorNotice, Loading } from '../../components/status';
import { paths } from '../../config/paths';
import type { Rock } from './api/rock-schemas';

/** The states every list of rocks goes through: loading, failed, empty, or the rocks themselves. */
export function RocksView({ query, renderRock }: { query: UseQueryResult<Rock[]>; renderRock: (rock: Rock) => ReactNode }) {
  if (query.isPending) return <Loading label="Loading rocks…" />;
  const retry = () => void query.refetch();
  if (query.data === undefined) return <ErrorNotice error={query.error} onRetry={retry} />;
  return (
    <>
      {query.isError && <ErrorNotice error={query.error} onRetry={retry} />}
      {query.data.length === 0 ? (
        <EmptyState>
          <p>
            No rocks yet — <Link to={paths.collectRock}>collect one</Link>
          </p>
        </EmptyState>
      ) : (
        <ul className="rock-grid" aria-label="Rocks">
          {query.data.map((rock) => (
            <li key={rock.id}>{renderRock(rock)}</li>
          ))}
        </ul>
      )}
    </>
  );
}
