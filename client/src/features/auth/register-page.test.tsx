import type { MessageError, TokenResponse } from '@rock-of-ages/contract';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createGate } from '../../testing/gate';
import { renderApp } from '../../testing/render-app';
import { apiUrl, server } from '../../testing/server';

const newcomer = { first_name: 'Ada', last_name: 'Stone', email: 'ada@example.com', password: 'granite-42' };

async function fillIn(user: ReturnType<typeof renderApp>['user'], details: typeof newcomer) {
  await user.type(await screen.findByLabelText('First name'), details.first_name);
  await user.type(screen.getByLabelText('Last name'), details.last_name);
  await user.type(screen.getByLabelText('Email'), details.email);
  await user.type(screen.getByLabelText('Password'), details.password);
  await user.click(screen.getByRole('button', { name: 'Register' }));
}

describe('registration page', () => {
  it('shows a message next to each empty field', async () => {
    const { user } = renderApp('/register');

    await user.click(await screen.findByRole('button', { name: 'Register' }));

    expect(screen.getByLabelText('First name')).toHaveAccessibleDescription('First name is required');
    expect(screen.getByLabelText('Last name')).toHaveAccessibleDescription('Last name is required');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Email is required');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Password is required');
  });

  it('asks for a real e-mail address', async () => {
    const { user } = renderApp('/register');

    await fillIn(user, { ...newcomer, email: 'ada-at-example' });

    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter an e-mail address, such as jane@example.com');
  });

  it('creates the account, signs in, and goes home', async () => {
    let sent: unknown = null;
    server.use(
      http.post(apiUrl('/register'), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json<TokenResponse>({ token: 'new-token' });
      }),
    );
    const { user } = renderApp('/register');

    await fillIn(user, newcomer);

    expect(await screen.findByRole('heading', { name: 'Welcome to Rock of Ages' })).toBeInTheDocument();
    expect(sent).toEqual(newcomer);
    expect(localStorage.getItem('rock_token')).toBe('{"token":"new-token"}');
  });

  it('shows the API message when the e-mail is taken', async () => {
    server.use(
      http.post(apiUrl('/register'), () => HttpResponse.json<MessageError>({ message: 'An account with that username already exists' }, { status: 400 })),
    );
    const { user } = renderApp('/register');

    await fillIn(user, newcomer);

    expect(await screen.findByRole('alert')).toHaveTextContent('An account with that username already exists');
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('disables the button while the account is created', async () => {
    const gate = createGate();
    server.use(
      http.post(apiUrl('/register'), async () => {
        await gate.opened;
        return HttpResponse.json<TokenResponse>({ token: 'new-token' });
      }),
    );
    const { user } = renderApp('/register');

    await fillIn(user, newcomer);

    expect(screen.getByRole('button', { name: 'Creating your account…' })).toBeDisabled();
    gate.open();
    expect(await screen.findByRole('heading', { name: 'Welcome to Rock of Ages' })).toBeInTheDocument();
  });

  it('links back to sign-in for members', async () => {
    renderApp('/register');

    expect(await screen.findByText(/Already have an account\?/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
  });
});
