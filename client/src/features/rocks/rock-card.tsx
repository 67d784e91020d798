import type { ReactNode } from 'react';
import type { Rock } from '@rock-of-ages/contract';

export function RockCard({ rock, actions }: { rock: Rock; actions?: ReactNode }) {
  const headingId = `rock-${rock.id}-name`;
  const thumbnail = rock.images?.find((image) => image.status === 'ready')?.thumbnail_small_url ?? null;
  return (
    <article className="rock-card" aria-labelledby={headingId}>
      {thumbnail !== null && <img className="rock-photo" src={thumbnail} alt={`Photo of ${rock.name}`} loading="lazy" />}
      <header>
        <h3 id={headingId}>{rock.name}</h3>
        <span className="rock-type">{rock.type.label}</span>
      </header>
      <dl>
        <dt>Weight</dt>
        <dd>{rock.weight} kg</dd>
        <dt>Collected by</dt>
        <dd>
          {rock.user.first_name} {rock.user.last_name}
        </dd>
      </dl>
      {actions !== undefined && <footer>{actions}</footer>}
    </article>
  );
}
