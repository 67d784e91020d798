#!/usr/bin/env bash
# Prints "true" when SHA is still the newest commit on BRANCH, "false" otherwise. Workflows triggered
# by another workflow's completion can run out of order; this keeps an older commit from replacing a
# newer one.
# Usage: GH_TOKEN=... GITHUB_REPOSITORY=owner/name is-newest-commit.sh SHA [BRANCH]
set -euo pipefail

sha=${1:?usage: is-newest-commit.sh SHA [BRANCH]}
branch=${2:-main}
head_sha=$(gh api "repos/$GITHUB_REPOSITORY/commits/$branch" --jq .sha)
if [[ $head_sha == "$sha" ]]; then
  echo true
else
  echo "::notice::$branch has moved on from $sha to $head_sha" >&2
  echo false
fi
