import { memo, useEffect, useRef, type ComponentType } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorNotice, Loading } from '../../components/status';
import { paths } from '../../config/paths';
import type { RockList } from './api/get-rocks';
import type { Rock } from '@rock-of-ages/contract';
import { RockCard } from './rock-card';

const count = new Intl.NumberFormat('en');
const rocksInWords = (total: number) => `${count.format(total)} ${total === 1 ? 'rock' : 'rocks'}`;

/** What a card may offer besides the rock's details, such as a Delete button. */
export type RockActions = ComponentType<{ rock: Rock }>;

// Memoized: showing more rocks adds cards without rendering the ones already there again.
const RockItem = memo(function RockItem({ rock, Actions }: { rock: Rock; Actions: RockActions | undefined }) {
  return (
    <li>
      <RockCard rock={rock} actions={Actions && <Actions rock={rock} />} />
    </li>
  );
});

/**
 * The states every list of rocks goes through: loading, failed, empty, or the rocks themselves, a page
 * at a time. An empty list waits for a refresh under way, so that it never says "no rocks" about a
 * collection that has just changed.
 */
export function RocksView({ list, Actions }: { list: RockList; Actions?: RockActions }) {
  const { rocks, error } = list;
  if (rocks === undefined && error === null) return <Loading label="Loading rocks…" />;
  if (rocks === undefined) return <ErrorNotice error={error} onRetry={list.retry} />;
  return (
    <>
      {error !== null && <ErrorNotice error={error} onRetry={list.retry} />}
      {rocks.length === 0 && list.isFetching && <Loading label="Loading rocks…" />}
      {rocks.length === 0 && !list.isFetching && (
        <EmptyState>
          <p>
            No rocks yet — <Link to={paths.collectRock}>collect one</Link>
          </p>
        </EmptyState>
      )}
      {rocks.length > 0 && (
        <>
          <p className="list-count">{rocksInWords(list.total)}</p>
          <ul className="rock-grid" aria-label="Rocks">
            {rocks.map((rock) => (
              <RockItem key={rock.id} rock={rock} Actions={Actions} />
            ))}
          </ul>
          {list.hasMore && <ShowMore shown={rocks.length} total={list.total} onShowMore={list.showMore} />}
        </>
      )}
    </>
  );
}

/**
 * Shows the next page when pressed, or by itself as it comes within a screen of the viewport, so that
 * scrolling never reaches the end of what is there.
 */
function ShowMore({ shown, total, onShowMore }: { shown: number; total: number; onShowMore: () => void }) {
  const button = useRef<HTMLButtonElement>(null);

  // Observed afresh after each page: if the button is still within reach, the next page follows.
  useEffect(() => {
    const element = button.current;
    if (element === null || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && onShowMore(), {
      rootMargin: '0px 0px 100% 0px',
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [shown, onShowMore]);

  return (
    <div className="show-more">
      <p>
        Showing {count.format(shown)} of {rocksInWords(total)}
      </p>
      <button ref={button} type="button" className="secondary outline" onClick={onShowMore}>
        Show more rocks
      </button>
    </div>
  );
}
