import type { DetailError, LoginResponse, RockType } from '@rock-of-ages/contract';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { getSession } from '../lib/session';
import { renderApp } from '../testing/render-app';
import { orpha, SAMPLE_TOKEN, sampleTypes } from '../testing/sample-data';
import { apiUrl, server } from '../testing/server';
import { rockPage } from '../testing/rock-pages';

const currentPath = () => screen.getByTestId('current-path').textContent;

describe('routes', () => {
  it.each(['/', '/allrocks', '/mine', '/create', '/no-such-page'])('sends a signed-out visit to %s to /login', async (path) => {
    renderApp(path);

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(currentPath()).toBe('/login');
  });

  it('after signing in, takes the visitor to the page they were sent away from', async () => {
    server.use(
      http.post(apiUrl('/login'), () => HttpResponse.json<LoginResponse>({ valid: true, token: SAMPLE_TOKEN })),
      http.get(apiUrl('/rocks'), () => rockPage([orpha])),
    );
    const { user } = renderApp('/mine');

    await user.type(await screen.findByLabelText('Email'), 'john@example.com');
    await user.type(screen.getByLabelText('Password'), 'password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'My Rocks' })).toBeInTheDocument();
    expect(currentPath()).toBe('/mine');
  });

  it('sends a signed-in visit to /login home', async () => {
    renderApp('/login', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('heading', { name: 'Welcome to Rock of Ages' })).toBeInTheDocument();
    expect(currentPath()).toBe('/');
  });

  it('signs out and returns to /login when the API refuses the token', async () => {
    server.use(http.get(apiUrl('/rocks'), () => HttpResponse.json<DetailError>({ detail: 'Invalid token.' }, { status: 401 })));
    renderApp('/allrocks', { token: 'revoked' });

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText('Your session has ended. Please sign in again.')).toBeInTheDocument();
    expect(currentPath()).toBe('/login');
    expect(localStorage.getItem('rock_token')).toBeNull();
  });

  it('logs out from the navigation bar, and signing in again leads home', async () => {
    server.use(
      http.get(apiUrl('/rocks'), () => rockPage([orpha])),
      http.post(apiUrl('/login'), () => HttpResponse.json<LoginResponse>({ valid: true, token: SAMPLE_TOKEN })),
    );
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });

    await user.click(await screen.findByRole('button', { name: 'Logout' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(getSession().token).toBeNull();
    expect(localStorage.getItem('rock_token')).toBeNull();

    await user.type(screen.getByLabelText('Email'), 'john@example.com');
    await user.type(screen.getByLabelText('Password'), 'password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Welcome to Rock of Ages' })).toBeInTheDocument();
  });

  it('shows a page-not-found screen for an unknown path when signed in', async () => {
    renderApp('/no-such-page', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });

  it.each([
    ['/', 'Rock of Ages'],
    ['/allrocks', 'All Rocks · Rock of Ages'],
    ['/mine', 'My Rocks · Rock of Ages'],
    ['/create', 'Collect a Rock · Rock of Ages'],
  ])('names the screen at %s in the document title', async (path, title) => {
    server.use(
      http.get(apiUrl('/rocks'), () => rockPage([orpha])),
      http.get(apiUrl('/types'), () => HttpResponse.json<RockType[]>(sampleTypes)),
    );
    renderApp(path, { token: SAMPLE_TOKEN });

    await expect.poll(() => document.title).toBe(title);
  });

  it('marks the current screen in the navigation', async () => {
    server.use(http.get(apiUrl('/rocks'), () => rockPage([])));
    renderApp('/allrocks', { token: SAMPLE_TOKEN });

    const navigation = await screen.findByRole('navigation', { name: 'Main' });
    expect(navigation.querySelector('[aria-current="page"]')).toHaveTextContent('All Rocks');
  });
});
