import type { MessageError, Rock, RockType } from '@rock-of-ages/contract';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createGate } from '../../testing/gate';
import { renderApp } from '../../testing/render-app';
import { orpha, SAMPLE_TOKEN, sampleTypes } from '../../testing/sample-data';
import { apiUrl, server } from '../../testing/server';
import { rockPage } from '../../testing/rock-pages';

const serveTypes = () => server.use(http.get(apiUrl('/types'), () => HttpResponse.json<RockType[]>(sampleTypes)));

/** Opens the page once the types are in the list. */
async function openForm() {
  const view = renderApp('/create', { token: SAMPLE_TOKEN });
  await screen.findByRole('option', { name: 'Sedimentary' });
  return view;
}

async function fillIn(user: ReturnType<typeof renderApp>['user'], { name, weight, type }: { name: string; weight: string; type?: string }) {
  if (name !== '') await user.type(screen.getByLabelText('Name'), name);
  if (weight !== '') await user.type(screen.getByLabelText('Weight in kg'), weight);
  if (type !== undefined) await user.selectOptions(screen.getByLabelText('Type'), type);
  await user.click(screen.getByRole('button', { name: 'Collect rock' }));
}

describe('Collect a Rock page', () => {
  it('offers the types from GET /types', async () => {
    serveTypes();
    await openForm();

    const options = screen.getAllByRole('option').map((option) => option.textContent);
    expect(options).toEqual(['Choose a type', 'Metamorphic', 'Igneous', 'Sedimentary']);
  });

  it('shows a loading state while the types load', async () => {
    const gate = createGate();
    server.use(
      http.get(apiUrl('/types'), async () => {
        await gate.opened;
        return HttpResponse.json<RockType[]>(sampleTypes);
      }),
    );
    renderApp('/create', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('option', { name: 'Loading types…' })).toBeInTheDocument();
    expect(screen.getByLabelText('Type')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Collect rock' })).toBeDisabled();
    gate.open();
    expect(await screen.findByRole('option', { name: 'Igneous' })).toBeInTheDocument();
    expect(screen.getByLabelText('Type')).toBeEnabled();
  });

  it('shows a message next to each missing field', async () => {
    serveTypes();
    const { user } = await openForm();

    await fillIn(user, { name: '', weight: '' });

    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Give your rock a name');
    expect(screen.getByLabelText('Weight in kg')).toHaveAccessibleDescription('Enter the weight in kilograms');
    expect(screen.getByLabelText('Type')).toHaveAccessibleDescription('Choose a type');
  });

  it('refuses a name longer than 155 characters', async () => {
    serveTypes();
    const { user } = await openForm();

    await fillIn(user, { name: 'x'.repeat(156), weight: '1', type: 'Igneous' });

    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('The name must be at most 155 characters');
  });

  it.each([
    ['0', 'The weight must be between 0.01 and 999.99 kg'],
    ['1000', 'The weight must be between 0.01 and 999.99 kg'],
    ['1.234', 'Use at most two decimals'],
    ['heavy', 'Enter the weight as a number, such as 1.25'],
    ['-2', 'Enter the weight as a number, such as 1.25'],
  ])('refuses the weight %s', async (weight, message) => {
    serveTypes();
    const { user } = await openForm();

    await fillIn(user, { name: 'Pebble', weight, type: 'Igneous' });

    expect(screen.getByLabelText('Weight in kg')).toHaveAccessibleDescription(message);
    expect(screen.getByLabelText('Weight in kg')).toBeInvalid();
  });

  it.each(['0.01', '999.99', '12.5'])('accepts the weight %s and sends it to the API', async (weight) => {
    serveTypes();
    let sent: unknown = null;
    server.use(
      http.post(apiUrl('/rocks'), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json<Rock>({ ...orpha, id: 9, name: 'Pebble', weight }, { status: 201 });
      }),
      http.get(apiUrl('/rocks'), () => rockPage([])),
    );
    const { user } = await openForm();

    await fillIn(user, { name: 'Pebble', weight, type: 'Igneous' });

    await screen.findByRole('heading', { name: 'My Rocks' });
    expect(sent).toEqual({ name: 'Pebble', weight, typeId: 2 });
  });

  it('disables the button while saving, then shows the new rock in My Rocks', async () => {
    serveTypes();
    const gate = createGate();
    const pebble = { ...orpha, id: 9, name: 'Pebble', weight: '0.25', type: { id: 3, label: 'Sedimentary' } };
    let saved = false;
    server.use(
      http.post(apiUrl('/rocks'), async () => {
        await gate.opened;
        saved = true;
        return HttpResponse.json<Rock>(pebble, { status: 201 });
      }),
      http.get(apiUrl('/rocks'), () => rockPage(saved ? [orpha, pebble] : [orpha])),
    );
    const { user } = await openForm();

    await fillIn(user, { name: 'Pebble', weight: '0.25', type: 'Sedimentary' });

    expect(screen.getByRole('button', { name: 'Saving…' })).toBeDisabled();
    gate.open();
    expect(await screen.findByRole('heading', { name: 'My Rocks' })).toBeInTheDocument();
    expect(screen.getByText('Pebble was added to your collection.')).toHaveRole('status');
    expect(await screen.findByRole('article', { name: 'Pebble' })).toHaveTextContent('0.25 kg');
  });

  it('shows the new rock in My Rocks at once, without "No rocks yet", while the list is being refreshed', async () => {
    serveTypes();
    const pebble = { ...orpha, id: 9, name: 'Pebble', weight: '0.25' };
    const refresh = createGate();
    let saved = false;
    let refreshed = false;
    server.use(
      http.get(apiUrl('/rocks'), async () => {
        if (!saved) return rockPage([]);
        await refresh.opened;
        refreshed = true;
        return rockPage([pebble]);
      }),
      http.post(apiUrl('/rocks'), () => {
        saved = true;
        return HttpResponse.json<Rock>(pebble, { status: 201 });
      }),
    );
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });
    await user.click(await screen.findByRole('link', { name: 'collect one' }));
    await screen.findByRole('option', { name: 'Sedimentary' });

    await fillIn(user, { name: 'Pebble', weight: '0.25', type: 'Sedimentary' });

    expect(await screen.findByText('Pebble was added to your collection.')).toBeInTheDocument();
    expect(screen.getByRole('article', { name: 'Pebble' })).toHaveTextContent('0.25 kg');
    expect(screen.queryByText(/No rocks yet/)).not.toBeInTheDocument();
    refresh.open();
    await expect.poll(() => refreshed).toBe(true);
    expect(screen.getByRole('article', { name: 'Pebble' })).toBeInTheDocument();
  });

  it('shows the API message when the rock is refused', async () => {
    serveTypes();
    server.use(http.post(apiUrl('/rocks'), () => HttpResponse.json<MessageError>({ message: 'typeId must be the id of a rock type' }, { status: 400 })));
    const { user } = await openForm();

    await fillIn(user, { name: 'Pebble', weight: '1', type: 'Igneous' });

    expect(await screen.findByRole('alert')).toHaveTextContent('typeId must be the id of a rock type');
    expect(screen.getByRole('button', { name: 'Collect rock' })).toBeEnabled();
  });

  it('lets the types be fetched again after a failure', async () => {
    let calls = 0;
    server.use(
      http.get(apiUrl('/types'), () => {
        calls += 1;
        return calls === 1 ? HttpResponse.error() : HttpResponse.json<RockType[]>(sampleTypes);
      }),
    );
    const { user } = renderApp('/create', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the Rock of Ages server');
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('option', { name: 'Igneous' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
