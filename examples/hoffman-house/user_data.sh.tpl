#!/bin/bash
# Runs on the Atomic host at boot, with the instance profile's credentials:
# attach the MySQL volume, restore from the latest backup if it is empty, claim
# the Elastic IP (www's A record points at it), then start the containers.
set -euo pipefail
/usr/local/bin/setup_storage.sh "${volume_id}"
/usr/local/bin/restore_if_empty.sh "s3://${bucket}/latest"
/usr/local/bin/associate_address.sh "${allocation_id}"
systemctl start hoffman-house.target
