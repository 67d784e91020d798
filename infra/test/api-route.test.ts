import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stripApiPrefixFunctionPath } from '../src/api-route.js';
import { onlyResource, templateOf } from './support/templates.js';

// AWS's managed policies, by the ids the CloudFront documentation gives them.
const managedCachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const managedAllViewerExceptHostHeader = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const managedSecurityHeaders = '67f7725c-6f97-4210-82d7-5512b31e9d03';

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
  [setting: string]: unknown;
}

describe.each(['defaults', 'customized'] as const)('the API through CloudFront (%s)', (configuration) => {
  const template = templateOf(configuration);
  const config = onlyResource(template, 'AWS::CloudFront::Distribution').properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: { Id: string }[];
  };
  const host = onlyResource(template, 'AWS::EC2::Instance');
  const functionNamed = (comment: string) =>
    onlyResource(template, 'AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Comment: Match.stringLikeRegexp(comment) }),
    });
  const stripPrefix = functionNamed('^Rock of Ages API');
  const spaRewrite = functionNamed('^Rock of Ages client');
  const apiBehavior = config.CacheBehaviors.find((behavior) => behavior.PathPattern === '/api/*');

  it('adds one behaviour, for /api/*, next to the client and its photos', () => {
    expect(config.CacheBehaviors.map((behavior) => behavior.PathPattern)).toEqual(['/photos/*', '/api/*']);
  });

  it('sends it to the API host through a VPC origin: the instance itself, on port 80, inside the VPC', () => {
    const origin = config.Origins.find((candidate) => candidate.Id === apiBehavior?.TargetOriginId) as Record<string, unknown>;
    const vpcOrigin = onlyResource(template, 'AWS::CloudFront::VpcOrigin');
    expect(origin).toMatchObject({ VpcOriginConfig: { VpcOriginId: { 'Fn::GetAtt': [vpcOrigin.id, 'Id'] } } });
    expect(origin).not.toHaveProperty('CustomOriginConfig');
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [host.id, 'PrivateDnsName'] });
    expect(vpcOrigin.properties.VpcOriginEndpointConfig).toMatchObject({
      Arn: { 'Fn::Join': ['', [expect.stringMatching(/^arn:aws:ec2:[a-z0-9-]+:$/), { Ref: 'AWS::AccountId' }, ':instance/', { Ref: host.id }]] },
      HTTPPort: 80,
      OriginProtocolPolicy: 'http-only',
    });
  });

  it("never names the host's public address: a stop and start cannot leave the distribution stale", () => {
    const attributes = [...JSON.stringify(template.toJSON()).matchAll(new RegExp(`"Fn::GetAtt":\\["${host.id}","(\\w+)"\\]`, 'g'))].map(
      (match) => match[1],
    );
    expect(attributes).toContain('PrivateDnsName');
    expect(attributes.filter((attribute) => /^Public/.test(attribute ?? ''))).toEqual([]);
  });

  it('caches nothing, allows every method, and answers HTTPS only', () => {
    expect(apiBehavior).toMatchObject({
      CachePolicyId: managedCachingDisabled,
      AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
      ViewerProtocolPolicy: 'https-only',
      ResponseHeadersPolicyId: managedSecurityHeaders,
    });
    expect(apiBehavior?.AllowedMethods).toHaveLength(7);
  });

  it("forwards the viewer's headers (Authorization and Content-Type among them) and query strings, not its Host", () => {
    // CloudFront passes Authorization on only when the cache policy has it in the cache key, or when caching
    // is disabled and the origin request policy forwards all viewer headers: the second case, here.
    expect(apiBehavior).toMatchObject({
      CachePolicyId: managedCachingDisabled,
      OriginRequestPolicyId: managedAllViewerExceptHostHeader,
    });
  });

  it('strips /api on viewer requests with its own function, and never runs the SPA rewrite', () => {
    expect(stripPrefix.properties.FunctionCode).toBe(readFileSync(stripApiPrefixFunctionPath, 'utf8'));
    expect(stripPrefix.properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    expect(apiBehavior?.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [stripPrefix.id, 'FunctionARN'] } },
    ]);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [spaRewrite.id, 'FunctionARN'] } },
    ]);
  });
});
