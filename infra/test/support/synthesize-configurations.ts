import type { TestProject } from 'vitest/node';
import { type ConfigurationName, configurations } from './configurations.js';
import { synthesizeTemplates } from './synthesize.js';

export type Synthesis = { template: Record<string, unknown>; edge?: Record<string, unknown> } | { error: string };

declare module 'vitest' {
  export interface ProvidedContext {
    syntheses: Record<ConfigurationName, Synthesis>;
  }
}

/** Synthesizes each configuration once for the whole run; a failure is kept for the tests to report. */
export default function synthesizeConfigurations(project: TestProject): void {
  const syntheses = {} as Record<ConfigurationName, Synthesis>;
  for (const [name, context] of Object.entries(configurations) as [ConfigurationName, Record<string, string>][]) {
    try {
      syntheses[name] = synthesizeTemplates(context);
    } catch (error) {
      syntheses[name] = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  project.provide('syntheses', syntheses);
}
