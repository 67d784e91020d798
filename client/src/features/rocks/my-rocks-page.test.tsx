import type { MessageError, Rock } from '@rock-of-ages/contract';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createGate } from '../../testing/gate';
import { renderApp } from '../../testing/render-app';
import { orpha, SAMPLE_TOKEN } from '../../testing/sample-data';
import { apiUrl, server } from '../../testing/server';
import { rockPage } from '../../testing/rock-pages';

const pebble: Rock = { ...orpha, id: 7, name: 'Pebble', weight: '0.02' };

/** John's rocks behind GET /rocks?owner=current, with DELETE answered by `onDelete`. */
function serveMyRocks(rocks: Rock[], onDelete: (id: string) => Response | Promise<Response>) {
  const deleted: string[] = [];
  let mine = [...rocks];
  server.use(
    http.get(apiUrl('/rocks'), ({ request }) =>
      new URL(request.url).searchParams.get('owner') === 'current'
        ? rockPage(mine)
        : HttpResponse.json<Rock[] | MessageError>({ message: 'expected owner=current' }, { status: 400 }),
    ),
    http.delete(apiUrl('/rocks/:id'), async ({ params }) => {
      const id = String(params.id);
      deleted.push(id);
      const response = await onDelete(id);
      if (response.status === 204) mine = mine.filter((rock) => String(rock.id) !== id);
      return response;
    }),
  );
  return { deleted };
}

const deleted = () => new HttpResponse(null, { status: 204 });

describe('My Rocks page', () => {
  it('lists only my rocks, each with its own Delete button', async () => {
    serveMyRocks([orpha, pebble], deleted);
    renderApp('/mine', { token: SAMPLE_TOKEN });

    const card = await screen.findByRole('article', { name: 'Orpha' });
    expect(within(card).getByRole('button', { name: 'Delete Orpha' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete Pebble' })).toBeInTheDocument();
  });

  it('asks before deleting, and keeps the rock when told to', async () => {
    const { deleted: requests } = serveMyRocks([orpha], deleted);
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });

    await user.click(await screen.findByRole('button', { name: 'Delete Orpha' }));
    expect(screen.getByRole('group', { name: 'Delete Orpha for good?' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Keep it' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Keep it' }));

    expect(screen.queryByRole('group', { name: 'Delete Orpha for good?' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete Orpha' })).toHaveFocus();
    expect(requests).toEqual([]);
  });

  it('closes the question with Escape', async () => {
    serveMyRocks([orpha], deleted);
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });

    await user.click(await screen.findByRole('button', { name: 'Delete Orpha' }));
    await user.keyboard('{Escape}');

    expect(screen.queryByRole('group', { name: 'Delete Orpha for good?' })).not.toBeInTheDocument();
  });

  it('deletes after confirmation and updates the list without a reload', async () => {
    const gate = createGate();
    const { deleted: requests } = serveMyRocks([orpha, pebble], async () => {
      await gate.opened;
      return deleted();
    });
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });

    const card = await screen.findByRole('article', { name: 'Pebble' });
    await user.click(within(card).getByRole('button', { name: 'Delete Pebble' }));
    await user.click(within(card).getByRole('button', { name: 'Delete Pebble' }));
    expect(within(card).getByRole('button', { name: 'Deleting…' })).toBeDisabled();
    gate.open();

    await screen.findByRole('article', { name: 'Orpha' });
    await expect.poll(() => screen.queryByRole('article', { name: 'Pebble' })).toBeNull();
    expect(requests).toEqual(['7']);
  });

  it('after the last rock is deleted, says "No rocks yet" only once the refreshed list confirms it', async () => {
    const refresh = createGate();
    let deletedYet = false;
    server.use(
      http.get(apiUrl('/rocks'), async () => {
        if (deletedYet) await refresh.opened;
        return rockPage(deletedYet ? [] : [orpha]);
      }),
      http.delete(apiUrl('/rocks/:id'), () => {
        deletedYet = true;
        return deleted();
      }),
    );
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });
    await user.click(await screen.findByRole('button', { name: 'Delete Orpha' }));

    await user.click(screen.getByRole('button', { name: 'Delete Orpha' }));

    await expect.poll(() => screen.queryByRole('article', { name: 'Orpha' })).toBeNull();
    expect(screen.queryByText(/No rocks yet/)).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Loading rocks…');
    refresh.open();
    expect(await screen.findByText(/No rocks yet —/)).toBeInTheDocument();
  });

  it('shows the API message when the rock cannot be deleted, and keeps it', async () => {
    serveMyRocks([orpha], () => HttpResponse.json<MessageError>({ message: 'You do not own that rock' }, { status: 403 }));
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });

    await user.click(await screen.findByRole('button', { name: 'Delete Orpha' }));
    await user.click(screen.getByRole('button', { name: 'Delete Orpha' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('You do not own that rock');
    expect(screen.getByRole('article', { name: 'Orpha' })).toBeInTheDocument();
  });

  it('drops a rock that was already deleted elsewhere (404) when the list refreshes', async () => {
    let mine = [orpha, pebble];
    server.use(
      http.get(apiUrl('/rocks'), () => rockPage(mine)),
      http.delete(apiUrl('/rocks/:id'), () => HttpResponse.json<MessageError>({ message: 'Rock 7 does not exist' }, { status: 404 })),
    );
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });
    await user.click(await screen.findByRole('button', { name: 'Delete Pebble' }));
    mine = [orpha];

    await user.click(screen.getByRole('button', { name: 'Delete Pebble' }));

    await expect.poll(() => screen.queryByRole('article', { name: 'Pebble' })).toBeNull();
    expect(screen.getByRole('article', { name: 'Orpha' })).toBeInTheDocument();
  });

  it('invites a first rock when I have none', async () => {
    serveMyRocks([], deleted);
    renderApp('/mine', { token: SAMPLE_TOKEN });

    expect(await screen.findByText(/No rocks yet —/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'collect one' })).toHaveAttribute('href', '/create');
  });
});
