#!/usr/bin/env bash
# Publishes the built client (client/dist) to an S3 bucket, then invalidates the CloudFront
# distribution in front of it when one is given.
#
# Order matters for visitors in the middle of a deploy: the new hashed assets go up first (cached for a
# year: their names change with their content), then index.html and the other unhashed files (always
# revalidated), and only then are the old assets removed.
#
# Usage: publish-client.sh --dist client/dist --bucket BUCKET [--distribution-id ID]
set -euo pipefail

readonly IMMUTABLE='public, max-age=31536000, immutable'
readonly REVALIDATE='no-cache'

die() {
  echo "::error::$*" >&2
  exit 1
}

dist='' bucket='' distribution_id=''
while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --dist) dist=$2 ;;
    --bucket) bucket=$2 ;;
    --distribution-id) distribution_id=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ -f $dist/index.html ]] || die "$dist/index.html does not exist: build the client first"
bucket=${bucket#s3://}
bucket=${bucket%/}
[[ $bucket =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] ||
  die "the bucket must be an S3 bucket name (repository variable CLIENT_S3_BUCKET; got '$bucket')"

if [[ -d $dist/assets ]]; then
  aws s3 sync "$dist/assets" "s3://$bucket/assets" --no-progress --cache-control "$IMMUTABLE"
fi
aws s3 sync "$dist" "s3://$bucket" --no-progress --delete --exclude 'assets/*' --cache-control "$REVALIDATE"
if [[ -d $dist/assets ]]; then
  aws s3 sync "$dist/assets" "s3://$bucket/assets" --no-progress --delete --cache-control "$IMMUTABLE"
fi

if [[ -n $distribution_id ]]; then
  invalidation_id=$(aws cloudfront create-invalidation --distribution-id "$distribution_id" \
    --paths '/*' --query Invalidation.Id --output text)
  echo "Invalidated CloudFront distribution $distribution_id (invalidation $invalidation_id)"
fi
echo "Published $dist to s3://$bucket"
