import { describe, expect, it } from 'vitest';
import { photoUploadOrigins } from '../src/photo-storage.js';
import { PHOTO_BUCKET, flat, grantsOf, onlyResource, templateOf } from './support/templates.js';

describe.each(['defaults', 'ecs'] as const)('the photo bucket (%s)', (configuration) => {
  const template = templateOf(configuration);
  const bucket = onlyResource(template, 'AWS::S3::Bucket', PHOTO_BUCKET);
  const distribution = onlyResource(template, 'AWS::CloudFront::Distribution');
  const config = distribution.properties.DistributionConfig as {
    CacheBehaviors: { PathPattern: string; TargetOriginId: string; AllowedMethods: string[]; ViewerProtocolPolicy: string }[];
    Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown }[];
  };

  it('is private: every public access blocked, ACLs disabled, encrypted, TLS only, kept with the stack by default', () => {
    expect(bucket.properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    expect(bucket.deletionPolicy).toBe('Retain');
    const policy = onlyResource(template, 'AWS::S3::BucketPolicy', { Bucket: { Ref: bucket.id } }).properties.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] };
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it("lets browsers PUT with a Content-Type from the client's CloudFront pages, and nothing else cross-origin", () => {
    expect(bucket.properties.CorsConfiguration).toEqual({
      CorsRules: [{ AllowedMethods: ['PUT'], AllowedOrigins: photoUploadOrigins, AllowedHeaders: ['content-type'], MaxAge: 3000 }],
    });
  });

  it('forgets abandoned uploads after a day', () => {
    expect(bucket.properties.LifecycleConfiguration).toEqual({
      Rules: [
        { Id: 'abandoned-uploads', Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' },
        { Id: 'incomplete-multipart-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
      ],
    });
  });

  it('is served read-only through the distribution under /photos/*, with origin access control, over HTTPS', () => {
    const behavior = config.CacheBehaviors.find((each) => each.PathPattern === '/photos/*');
    const origin = config.Origins.find((each) => each.Id === behavior?.TargetOriginId);
    expect(origin?.DomainName).toEqual({ 'Fn::GetAtt': [bucket.id, 'RegionalDomainName'] });
    expect(origin?.OriginAccessControlId).toBeDefined();
    expect(behavior).toMatchObject({ AllowedMethods: ['GET', 'HEAD'], ViewerProtocolPolicy: 'redirect-to-https' });
  });
});

describe('the API may put, get and delete photos in that bucket only', () => {
  const expectedGrants = (template: ReturnType<typeof templateOf>) => {
    const bucket = onlyResource(template, 'AWS::S3::Bucket', PHOTO_BUCKET).id;
    return [
      { actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], resources: [`<${bucket}.Arn>/*`] },
      { actions: ['s3:ListBucket'], resources: [`<${bucket}.Arn>`] },
    ];
  };
  const s3Grants = (template: ReturnType<typeof templateOf>, roleId: string) => grantsOf(template, roleId).filter((grant) => grant.actions.some((action) => action.startsWith('s3:')));

  it('on ECS, through the task role, with S3_BUCKET and PHOTOS_PUBLIC_URL in the container', () => {
    const ecs = templateOf('ecs');
    const taskDefinition = onlyResource(ecs, 'AWS::ECS::TaskDefinition').properties as { TaskRoleArn: { 'Fn::GetAtt': [string, string] }; ContainerDefinitions: { Environment: { Name: string; Value: unknown }[] }[] };
    expect(s3Grants(ecs, taskDefinition.TaskRoleArn['Fn::GetAtt'][0])).toEqual(expectedGrants(ecs));
    const environment = Object.fromEntries(taskDefinition.ContainerDefinitions[0]!.Environment.map((each) => [each.Name, flat(each.Value)]));
    expect(environment.S3_BUCKET).toBe(`<${onlyResource(ecs, 'AWS::S3::Bucket', PHOTO_BUCKET).id}>`);
    expect(environment.PHOTOS_PUBLIC_URL).toBe(`https://<${onlyResource(ecs, 'AWS::CloudFront::Distribution').id}.DomainName>`);
  });

  it('on EC2, through the host role, with S3_BUCKET and PHOTOS_PUBLIC_URL as parameters the deploy copies into .env', () => {
    const ec2 = templateOf('defaults');
    const [role] = (onlyResource(ec2, 'AWS::IAM::InstanceProfile').properties.Roles as { Ref: string }[]).map((each) => each.Ref);
    expect(s3Grants(ec2, role!)).toEqual(expectedGrants(ec2));
    const parameters = Object.fromEntries(
      Object.values(ec2.findResources('AWS::SSM::Parameter')).map((each) => [(each.Properties as { Name: string }).Name, flat((each.Properties as { Value: unknown }).Value)]),
    );
    expect(parameters).toEqual({
      '/rock-of-ages/api/S3_BUCKET': `<${onlyResource(ec2, 'AWS::S3::Bucket', PHOTO_BUCKET).id}>`,
      '/rock-of-ages/api/PHOTOS_PUBLIC_URL': `https://<${onlyResource(ec2, 'AWS::CloudFront::Distribution').id}.DomainName>`,
    });
  });
});
