import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { spaRewriteFunctionPath } from '../src/client-hosting.js';
import { flat, onlyResource, templateOf, CLIENT_BUCKET } from './support/templates.js';

const defaults = templateOf('defaults');
const customized = templateOf('customized');

describe('client hosting, with the defaults', () => {
  const bucket = onlyResource(defaults, 'AWS::S3::Bucket', CLIENT_BUCKET);
  const distribution = onlyResource(defaults, 'AWS::CloudFront::Distribution');
  const config = distribution.properties.DistributionConfig as Record<string, unknown>;
  const behavior = config.DefaultCacheBehavior as Record<string, unknown>;

  it('keeps the bucket private: every public access blocked, no website endpoint, ACLs disabled', () => {
    expect(bucket.properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.properties).not.toHaveProperty('WebsiteConfiguration');
    expect(bucket.properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('lets only this distribution read the files, and nobody in without TLS', () => {
    const policy = onlyResource(defaults, 'AWS::S3::BucketPolicy', { Bucket: { Ref: bucket.id } }).properties.PolicyDocument as {
      Statement: { Effect: string; Principal: unknown; Action: unknown; Resource: unknown; Condition: unknown }[];
    };
    const allows = policy.Statement.filter((statement) => statement.Effect === 'Allow');
    expect(
      allows.map((allow) => ({
        principal: allow.Principal,
        action: allow.Action,
        resource: flat(allow.Resource),
        sourceArn: flat((allow.Condition as { StringEquals: Record<string, unknown> }).StringEquals['AWS:SourceArn']),
      })),
    ).toEqual([
      {
        principal: { Service: 'cloudfront.amazonaws.com' },
        action: 's3:GetObject',
        resource: `<${bucket.id}.Arn>/*`,
        sourceArn: `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distribution.id}>`,
      },
    ]);
    expect(policy.Statement.filter((statement) => statement.Effect === 'Deny')).toMatchObject([
      { Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ]);
  });

  it('serves the bucket through origin access control, over HTTPS only', () => {
    // The photo bucket has an origin access control of its own: this one is the client origin's.
    const clientOrigin = (config.Origins as { Id: string; OriginAccessControlId: { 'Fn::GetAtt': [string, string] } }[]).find((each) => each.Id === behavior.TargetOriginId);
    const controlId = clientOrigin?.OriginAccessControlId['Fn::GetAtt'][0] ?? '';
    const control = { id: controlId, properties: (defaults.toJSON().Resources[controlId]?.Properties ?? {}) as Record<string, unknown> };
    expect(control.properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const origins = config.Origins as { Id: string }[];
    expect(origins.find((origin) => origin.Id === behavior.TargetOriginId)).toEqual(
      expect.objectContaining({
        DomainName: { 'Fn::GetAtt': [bucket.id, 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': [control.id, 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      }),
    );
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  it('routes client-side paths to index.html with the SPA rewrite function on viewer requests', () => {
    const rewrite = onlyResource(defaults, 'AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Comment: Match.stringLikeRegexp('^Rock of Ages client') }),
    });
    expect(rewrite.properties.FunctionCode).toBe(readFileSync(spaRewriteFunctionPath, 'utf8'));
    expect(rewrite.properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    expect(behavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [rewrite.id, 'FunctionARN'] } },
    ]);
    expect(config.DefaultRootObject).toBe('index.html');
  });

  it('keeps the bucket and its files when the stack is deleted', () => {
    expect(bucket.deletionPolicy).toBe('Retain');
    defaults.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('client hosting, customized', () => {
  it('with devDeleteDataOnDestroy, empties and deletes the bucket with the stack', () => {
    expect(onlyResource(customized, 'AWS::S3::Bucket', CLIENT_BUCKET).deletionPolicy).toBe('Delete');
    // One for the client's bucket, one for the photos'.
    customized.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });
});
