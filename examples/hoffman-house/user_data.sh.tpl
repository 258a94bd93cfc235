#!/bin/bash
# Runs on the Atomic host at boot: attach the MySQL volume, restore from the
# latest backup if it is empty, then start the containers.
set -euo pipefail
/usr/local/bin/setup_storage.sh "${volume_id}"
/usr/local/bin/restore_if_empty.sh "s3://${bucket}/latest"
/usr/local/bin/update_route53_mapping.sh "${hostname}"
systemctl start hoffman-house.target
