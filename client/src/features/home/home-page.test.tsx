import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../testing/render-app';
import { SAMPLE_TOKEN } from '../../testing/sample-data';

describe('home page', () => {
  it('welcomes a signed-in collector and links to every screen', async () => {
    renderApp('/', { token: SAMPLE_TOKEN });

    expect(await screen.findByRole('heading', { name: 'Welcome to Rock of Ages' })).toBeInTheDocument();
    const main = screen.getByRole('main');
    expect(within(main).getByRole('link', { name: /All Rocks/ })).toHaveAttribute('href', '/allrocks');
    expect(within(main).getByRole('link', { name: /My Rocks/ })).toHaveAttribute('href', '/mine');
    expect(within(main).getByRole('link', { name: /Collect a Rock/ })).toHaveAttribute('href', '/create');
  });
});
