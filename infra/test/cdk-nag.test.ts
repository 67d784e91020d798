import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { configurations } from './support/configurations.js';
import { withApp } from './support/synthesize.js';
import { templateOf } from './support/templates.js';

describe("cdk-nag's AwsSolutions rules", () => {
  it.each(Object.keys(configurations) as (keyof typeof configurations)[])(
    'find nothing unacknowledged in the %s configuration',
    (configuration) => {
      expect(() => templateOf(configuration)).not.toThrow();
    },
  );

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
