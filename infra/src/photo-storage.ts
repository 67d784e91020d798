import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucketProps } from './private-bucket.js';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.js';

export interface PhotoStorageProps {
  /** Delete the bucket and its photos with the stack instead of keeping them. */
  readonly deleteDataOnDestroy: boolean;
  /** The client's distribution, which serves the photos under photosPathPattern. */
  readonly distribution: cloudfront.Distribution;
}

/** Served photos are `photos/…` keys; uploads land under `uploads/` and are never served. */
export const photosPathPattern = '/photos/*';
/**
 * Pages that may PUT to a presigned URL. The distribution's own domain would make the bucket and
 * the distribution depend on each other (a cycle CloudFormation refuses); the presigned signature,
 * not CORS, is what limits who can upload.
 */
export const photoUploadOrigins = ['https://*.cloudfront.net'];
/** An upload URL lives minutes; a file still under uploads/ a day later was abandoned. */
export const abandonedUploadDays = 1;

/**
 * The rock photos: a private bucket that browsers upload to with the API's presigned URLs, served
 * read-only through the client's distribution (origin access control), never straight from S3.
 */
export class PhotoStorage extends Construct {
  readonly bucket: s3.Bucket;
  /** Where browsers fetch photos: the API's PHOTOS_PUBLIC_URL. */
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: PhotoStorageProps) {
    super(scope, id);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...privateBucketProps(props.deleteDataOnDestroy),
      cors: [{ allowedMethods: [s3.HttpMethods.PUT], allowedOrigins: photoUploadOrigins, allowedHeaders: ['content-type'], maxAge: 3000 }],
      lifecycleRules: [
        { id: 'abandoned-uploads', prefix: 'uploads/', expiration: Duration.days(abandonedUploadDays) },
        { id: 'incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(abandonedUploadDays) },
      ],
    });

    props.distribution.addBehavior(photosPathPattern, origins.S3BucketOrigin.withOriginAccessControl(this.bucket), {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      // A photo's files never change: a new photo gets new keys.
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    });
    this.publicUrl = `https://${props.distribution.distributionDomainName}`;

    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Photos are read through CloudFront and written only with presigned URLs the API signs; access logs would need a bucket of their own.',
    });
  }

  /**
   * The API's access: put, get and delete objects in this bucket and nowhere else, and list it, so
   * that a photo not uploaded yet answers 404 rather than 403.
   */
  grantApiAccess(role: iam.IRole): void {
    const objects = this.bucket.arnForObjects('*');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], resources: [objects] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    acknowledgeWildcardResource(role, objects, 'The API names every photo file by a key of its own (uploads/…, photos/…), within this bucket only.');
  }
}
