import type { ReactNode } from 'react';
import type { Rock } from '@rock-of-ages/contract';

export function RockCard({ rock, actions }: { rock: Rock; actions?: ReactNode }) {
  const headingId = `rock-${rock.id}-name`;
  return (
    <article className="rock-card" aria-labelledby={headingId}>
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
