import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { type ConfigurationName, configurations } from './support/configurations.js';
import { withApp } from './support/synthesize.js';
import { templateOf } from './support/templates.js';

const configurationNames = Object.keys(configurations) as ConfigurationName[];

interface Finding {
  id: string;
  path: string;
}

/** Every acknowledgement in the stack, by rule id and the construct it was made on. */
function acknowledgements(stack: Stack): Finding[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as object).map((id) => ({ id: id.replace(/^annotation::/i, ''), path: construct.node.path }))),
  );
}

/** What the AwsSolutions rules find with every acknowledgement ignored. */
function findingsIgnoringAcknowledgements(stack: Stack): Finding[] {
  // The pack's own check, turned off: the only way to see what an acknowledgement hides.
  const pack = new AwsSolutionsChecks() as unknown as {
    isAcknowledged: () => boolean;
    validateScope: (scope: Stack) => { violations: { ruleName: string; violatingResources: { constructPath: string }[] }[] };
  };
  pack.isAcknowledged = () => false;
  return pack
    .validateScope(stack)
    .violations.flatMap((violation) => violation.violatingResources.map((resource) => ({ id: violation.ruleName, path: resource.constructPath })));
}

const covers = (acknowledgement: Finding) => (finding: Finding) =>
  finding.id === acknowledgement.id && (finding.path === acknowledgement.path || finding.path.startsWith(`${acknowledgement.path}/`));

describe("cdk-nag's AwsSolutions rules", () => {
  it.each(configurationNames)('find nothing unacknowledged in the %s configuration', (configuration) => {
    expect(() => templateOf(configuration)).not.toThrow();
  });

  it.each(configurationNames)('are acknowledged only where they really find something, in the %s configuration', (configuration) => {
    withApp(configurations[configuration], (app) => {
      // Every stack of the app: the ECS option adds one in us-east-1.
      const stacks = app.node.children.filter((child): child is Stack => Stack.isStack(child));
      const findings = stacks.flatMap(findingsIgnoringAcknowledgements);
      const ours = stacks.flatMap(acknowledgements).filter((acknowledgement) => acknowledgement.id.startsWith('AwsSolutions-'));
      expect(ours.length).toBeGreaterThan(10);
      for (const acknowledgement of ours) {
        expect(findings.some(covers(acknowledgement)), `${acknowledgement.id} on ${acknowledgement.path}`).toBe(true);
      }
    });
  });

  it('stop synthesis at a finding that nobody acknowledged, and report only that one', () => {
    const failure = withApp(configurations.defaults, (app, stack) => {
      new s3.Bucket(stack, 'Unreviewed', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
      try {
        app.synth();
        return 'synthesized';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(failure.match(/^ERROR .*$/gm)).toEqual(['ERROR The S3 Bucket has server access logs disabled. (AwsSolutions)']);
    expect(failure).toMatch(/RockOfAges\/Unreviewed\/Resource[\s\S]*AwsSolutions-S1/);
  });
});

describe("CloudFormation's own validation", () => {
  it.each([
    ['defaults', ['CloudFormation-Validate::W9010 on RockOfAges/ApiHost/Instance']],
    [
      'customized',
      ['CloudFormation-Validate::W9010 on RockOfAges/ApiHost/Instance', 'CloudFormation-Validate::W9011 on RockOfAges/Database/Instance'],
    ],
    ['ecs', []],
    ['ecsCustomized', []],
  ] as const)('raises exactly the findings the stack acknowledges, in the %s configuration', (configuration, expected) => {
    const suppressed = withApp(configurations[configuration], (app) => {
      app.synth();
      const report = JSON.parse(readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: { violations: unknown[]; suppressedViolations?: { acknowledgedId: string; acknowledgedAt: string }[] }[];
      };
      expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
      return report.pluginReports.flatMap((plugin) => plugin.suppressedViolations ?? []).map((each) => `${each.acknowledgedId} on ${each.acknowledgedAt}`);
    });
    expect(suppressed.sort()).toEqual([...expected]);
  });
});
