import { describe, expect, it } from 'vitest';
import { tooManyRequestsBody } from '../src/auth-rate-limit.js';
import { onlyResource, edgeTemplateOf, templateOf } from './support/templates.js';

interface Rule {
  Name: string;
  Action: { Block: { CustomResponse: Record<string, unknown> } };
  Statement: {
    RateBasedStatement: {
      Limit: number;
      EvaluationWindowSec: number;
      AggregateKeyType: string;
      ScopeDownStatement: { OrStatement: { Statements: { ByteMatchStatement: Record<string, unknown> }[] } };
    };
  };
}

describe('the ECS option: an AWS WAF rate-based rule for /login and /register on the distribution', () => {
  const edge = edgeTemplateOf('ecs');
  const webAcl = onlyResource(edge, 'AWS::WAFv2::WebACL');
  const rules = webAcl.properties.Rules as Rule[];

  it('is a web ACL for CloudFront, alone in a us-east-1 stack, that lets everything else through', () => {
    expect(webAcl.properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    expect(Object.keys(edge.toJSON().Resources)).toEqual([webAcl.id]);
    expect(rules).toHaveLength(1);
  });

  it('counts /api/login and /api/register together, per viewer address, 300 a minute, whatever the case or percent-encoding', () => {
    const rate = rules[0]?.Statement.RateBasedStatement;
    expect(rate).toMatchObject({ Limit: 300, EvaluationWindowSec: 60, AggregateKeyType: 'IP' });
    expect(rate?.ScopeDownStatement.OrStatement.Statements.map((statement) => statement.ByteMatchStatement)).toEqual(
      ['/api/login', '/api/register'].map((path) => ({
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'STARTS_WITH',
        SearchString: path,
        TextTransformations: [
          { Priority: 0, Type: 'URL_DECODE' },
          { Priority: 1, Type: 'LOWERCASE' },
        ],
      })),
    );
    expect(onlyResource(edgeTemplateOf('ecsCustomized'), 'AWS::WAFv2::WebACL').properties.Rules).toMatchObject([
      { Statement: { RateBasedStatement: { Limit: 120 } } },
    ]);
  });

  it("answers as the API's own limit does: 429 with a message and Retry-After", () => {
    expect(rules[0]?.Action.Block.CustomResponse).toEqual({
      ResponseCode: 429,
      CustomResponseBodyKey: 'too-many-requests',
      ResponseHeaders: [{ Name: 'retry-after', Value: '60' }],
    });
    expect(webAcl.properties.CustomResponseBodies).toEqual({ 'too-many-requests': { ContentType: 'APPLICATION_JSON', Content: tooManyRequestsBody } });
    expect(JSON.parse(tooManyRequestsBody)).toEqual({ message: expect.stringMatching(/^Too many .* try again in a minute\.$/) as string });
  });

  it("screens the client's distribution, which reads the web ACL's ARN from the us-east-1 stack", () => {
    const config = onlyResource(templateOf('ecs'), 'AWS::CloudFront::Distribution').properties.DistributionConfig as { WebACLId: unknown };
    expect(config.WebACLId).toEqual({
      'Fn::GetStackOutput': { StackName: 'RockOfAgesEdge', Region: 'us-east-1', OutputName: expect.stringMatching(/WebAclArn/) as string },
    });
    const outputs = edge.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.values(outputs).map((output) => output.Value)).toContainEqual({ 'Fn::GetAtt': [webAcl.id, 'Arn'] });
  });

  it('is not part of the EC2 option, whose one host has only its own limits', () => {
    const config = onlyResource(templateOf('defaults'), 'AWS::CloudFront::Distribution').properties.DistributionConfig as Record<string, unknown>;
    expect(config).not.toHaveProperty('WebACLId');
  });
});
