import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket of the stack shares: no public access and no ACLs (only what the stack grants
 * reaches it), encrypted, TLS only, and kept with its files when the stack is deleted unless
 * `deleteDataOnDestroy` says otherwise.
 */
export function privateBucketProps(deleteDataOnDestroy: boolean): s3.BucketProps {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    removalPolicy: deleteDataOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    autoDeleteObjects: deleteDataOnDestroy,
  };
}
