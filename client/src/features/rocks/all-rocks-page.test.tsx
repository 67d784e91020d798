import type { MessageError, Rock } from '@rock-of-ages/contract';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createGate } from '../../testing/gate';
import { renderApp } from '../../testing/render-app';
import { ernestina, orpha, SAMPLE_TOKEN } from '../../testing/sample-data';
import { apiUrl, server } from '../../testing/server';
import { ROCKS_PER_PAGE } from './rocks-per-page';
import { pageOf, rockPage } from '../../testing/rock-pages';

describe('All Rocks page', () => {
  it('shows a loading state, then every rock with its type, weight and owner', async () => {
    const gate = createGate();
    let query: string | null = null;
    server.use(
      http.get(apiUrl('/rocks'), async ({ request }) => {
        query = new URL(request.url).search;
        await gate.opened;
        return rockPage([ernestina, orpha]);
      }),
    );
    renderApp('/allrocks', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('status')).toHaveTextContent('Loading rocks…');
    gate.open();

    const ernestinaCard = await screen.findByRole('article', { name: 'Ernestina' });
    expect(ernestinaCard).toHaveTextContent('Sedimentary');
    expect(ernestinaCard).toHaveTextContent('1.30 kg');
    expect(ernestinaCard).toHaveTextContent('Jane Smith');
    expect(screen.getByRole('article', { name: 'Orpha' })).toHaveTextContent('John Doe');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(query).toBe(`?limit=${ROCKS_PER_PAGE}`);
  });

  it('offers no Delete button: this is everyone’s collection', async () => {
    server.use(http.get(apiUrl('/rocks'), () => rockPage([ernestina])));
    renderApp('/allrocks', { token: SAMPLE_TOKEN });

    const card = await screen.findByRole('article', { name: 'Ernestina' });
    expect(within(card).queryByRole('button')).not.toBeInTheDocument();
  });

  it('invites the first collection when there are no rocks', async () => {
    server.use(http.get(apiUrl('/rocks'), () => rockPage([])));
    renderApp('/allrocks', { token: SAMPLE_TOKEN });

    expect(await screen.findByText(/No rocks yet —/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'collect one' })).toHaveAttribute('href', '/create');
  });

  it('shows a failure with a way to try again, and recovers', async () => {
    let calls = 0;
    server.use(
      http.get(apiUrl('/rocks'), () => {
        calls += 1;
        return calls === 1 ? HttpResponse.error() : rockPage([orpha]);
      }),
    );
    const { user } = renderApp('/allrocks', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the Rock of Ages server');
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('article', { name: 'Orpha' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a server failure as retryable too', async () => {
    server.use(http.get(apiUrl('/rocks'), () => new HttpResponse(null, { status: 500 })));
    renderApp('/allrocks', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('alert')).toHaveTextContent('The server ran into a problem');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('says the service is unavailable (503), offers to try again, and recovers', async () => {
    let calls = 0;
    server.use(
      http.get(apiUrl('/rocks'), () => {
        calls += 1;
        return calls === 1 ? HttpResponse.json<Rock[] | MessageError>({ message: 'database unreachable' }, { status: 503 }) : rockPage([orpha]);
      }),
    );
    const { user } = renderApp('/allrocks', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('alert')).toHaveTextContent('The service is unavailable, try again in a moment.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('article', { name: 'Orpha' })).toBeInTheDocument();
  });

  it('shows a big collection a page at a time, with its count, and the next page on request', async () => {
    const total = 2 * ROCKS_PER_PAGE + 5;
    const many = Array.from({ length: total }, (_, index) => ({ ...orpha, id: index + 1, name: `Rock ${index + 1}` }));
    server.use(http.get(apiUrl('/rocks'), ({ request }) => pageOf(many, request)));
    const { user } = renderApp('/allrocks', { token: SAMPLE_TOKEN });

    expect(await screen.findByText(`${total} rocks`)).toBeInTheDocument();
    expect(screen.getAllByRole('article')).toHaveLength(ROCKS_PER_PAGE);
    expect(screen.getByText(`Showing ${ROCKS_PER_PAGE} of ${total} rocks`)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Show more rocks' }));
    expect(await screen.findByText(`Showing ${2 * ROCKS_PER_PAGE} of ${total} rocks`)).toBeInTheDocument();
    expect(screen.getAllByRole('article')).toHaveLength(2 * ROCKS_PER_PAGE);
    await user.click(screen.getByRole('button', { name: 'Show more rocks' }));

    expect(await screen.findByRole('article', { name: `Rock ${total}` })).toBeInTheDocument();
    expect(screen.getAllByRole('article')).toHaveLength(total);
    expect(screen.queryByRole('button', { name: 'Show more rocks' })).not.toBeInTheDocument();
  });

  it('takes the count from the API\'s X-Total-Count, not from the rocks it has read', async () => {
    const firstPage = Array.from({ length: ROCKS_PER_PAGE }, (_, index) => ({ ...orpha, id: index + 1, name: `Rock ${index + 1}` }));
    server.use(http.get(apiUrl('/rocks'), () => rockPage(firstPage, { total: 10_000, next: `?limit=${ROCKS_PER_PAGE}&after=${ROCKS_PER_PAGE}` })));
    renderApp('/allrocks', { token: SAMPLE_TOKEN });

    expect(await screen.findByText('10,000 rocks')).toBeInTheDocument();
    expect(screen.getByText(`Showing ${ROCKS_PER_PAGE} of 10,000 rocks`)).toBeInTheDocument();
    expect(screen.getAllByRole('article')).toHaveLength(ROCKS_PER_PAGE);
  });

  it('Show more asks for the page the Link names, resolved against the answer\'s URL', async () => {
    const requested: string[] = [];
    server.use(
      http.get(apiUrl('/rocks'), ({ request }) => {
        requested.push(request.url);
        return requested.length === 1 ? rockPage([ernestina], { total: 2, next: '?limit=1&after=1&cursor=planted' }) : rockPage([orpha], { total: 2 });
      }),
    );
    const { user } = renderApp('/allrocks', { token: SAMPLE_TOKEN });

    await user.click(await screen.findByRole('button', { name: 'Show more rocks' }));

    expect(await screen.findByRole('article', { name: 'Orpha' })).toBeInTheDocument();
    expect(requested).toEqual([apiUrl(`/rocks?limit=${ROCKS_PER_PAGE}`), apiUrl('/rocks?limit=1&after=1&cursor=planted')]);
    expect(screen.queryByRole('button', { name: 'Show more rocks' })).not.toBeInTheDocument();
  });

  it('refuses a page without its total as an answer it does not understand', async () => {
    server.use(http.get(apiUrl('/rocks'), () => HttpResponse.json<Rock[]>([orpha])));
    renderApp('/allrocks', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('alert')).toHaveTextContent('The server sent an answer this app does not understand.');
  });
});
