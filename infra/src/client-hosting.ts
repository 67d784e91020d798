import { fileURLToPath } from 'node:url';
import { Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucketProps } from './private-bucket.js';

export interface ClientHostingProps {
  /** Delete the bucket and its files with the stack instead of keeping them. */
  readonly deleteDataOnDestroy: boolean;
  /** The AWS WAF web ACL (in us-east-1) that screens the distribution's requests, if any. */
  readonly webAclArn?: string;
}

export const spaRewriteFunctionPath = fileURLToPath(new URL('./spa-rewrite-function.js', import.meta.url));

/**
 * The built client in a private S3 bucket, served by CloudFront through origin access control, with
 * client-side routes answered by index.html.
 */
export class ClientHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: ClientHostingProps) {
    super(scope, id);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...privateBucketProps(props.deleteDataOnDestroy),
    });

    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromFile({ filePath: spaRewriteFunctionPath }),
      comment: 'Rock of Ages client: index.html for client-side routes',
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Rock of Ages client',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [{ function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: props.webAclArn,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });

    this.acknowledgeFindings(props.webAclArn !== undefined);
  }

  private acknowledgeFindings(screenedByWaf: boolean): void {
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds only the public build of the client, uploaded by the pipeline; access logs would need a bucket of their own.',
    });
    if (!screenedByWaf) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason: 'AWS WAF costs a monthly fee per web ACL and rule; one API host has its own per-address limits.',
      });
    }
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The client is meant for anyone, anywhere: no geographic restriction.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'Standard logs need an ACL-enabled log bucket; static files for a workshop do not warrant one.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          "With the default *.cloudfront.net certificate CloudFront fixes the viewer TLS policy; a custom domain and " +
          'ACM certificate would allow TLSv1.2_2021.',
      },
    );
  }
}
