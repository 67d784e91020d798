import type { LoginResponse, MessageError } from '@rock-of-ages/contract';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createGate } from '../../testing/gate';
import { renderApp } from '../../testing/render-app';
import { SAMPLE_TOKEN } from '../../testing/sample-data';
import { apiUrl, server } from '../../testing/server';

async function fillIn(user: ReturnType<typeof renderApp>['user'], email: string, password: string) {
  await user.type(await screen.findByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in page', () => {
  it('shows a message next to each empty field and sends nothing', async () => {
    const { user } = renderApp('/login');

    await user.click(await screen.findByRole('button', { name: 'Sign in' }));

    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Email is required');
    expect(screen.getByLabelText('Email')).toBeInvalid();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Password is required');
    expect(screen.getByLabelText('Email')).toHaveFocus();
  });

  it('signs in, keeps the token, and goes home', async () => {
    let sent: unknown = null;
    server.use(
      http.post(apiUrl('/login'), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json<LoginResponse>({ valid: true, token: SAMPLE_TOKEN });
      }),
    );
    const { user } = renderApp('/login');

    await fillIn(user, 'john@example.com', 'password');

    expect(await screen.findByRole('heading', { name: 'Welcome to Rock of Ages' })).toBeInTheDocument();
    expect(sent).toEqual({ email: 'john@example.com', password: 'password' });
    expect(localStorage.getItem('rock_token')).toBe(JSON.stringify({ token: SAMPLE_TOKEN }));
  });

  it('says so when the e-mail and password do not match, and stays', async () => {
    server.use(http.post(apiUrl('/login'), () => HttpResponse.json<LoginResponse>({ valid: false })));
    const { user } = renderApp('/login');

    await fillIn(user, 'john@example.com', 'wrong');

    expect(await screen.findByRole('alert')).toHaveTextContent('That e-mail and password do not match an account.');
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(localStorage.getItem('rock_token')).toBeNull();
  });

  it('disables the button while signing in', async () => {
    const gate = createGate();
    server.use(
      http.post(apiUrl('/login'), async () => {
        await gate.opened;
        return HttpResponse.json<LoginResponse>({ valid: false });
      }),
    );
    const { user } = renderApp('/login');

    await fillIn(user, 'john@example.com', 'password');

    expect(screen.getByRole('button', { name: 'Signing in…' })).toBeDisabled();
    gate.open();
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('explains when the server cannot be reached', async () => {
    server.use(http.post(apiUrl('/login'), () => HttpResponse.error()));
    const { user } = renderApp('/login');

    await fillIn(user, 'john@example.com', 'password');

    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the Rock of Ages server');
  });

  it('says how long to wait after too many attempts (429 with Retry-After)', async () => {
    server.use(
      http.post(apiUrl('/login'), () =>
        HttpResponse.json<MessageError>({ message: 'Rate limit exceeded, retry in 1 minute' }, { status: 429, headers: { 'Retry-After': '37' } }),
      ),
    );
    const { user } = renderApp('/login');

    await fillIn(user, 'john@example.com', 'password');

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts, try again in 37 s.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('links to registration for newcomers', async () => {
    renderApp('/login');

    expect(await screen.findByText(/Not a member yet\?/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Register' })).toHaveAttribute('href', '/register');
  });
});
