#!/bin/bash
# Boot of the ECS container instance: join the cluster, attach and mount the
# CouchDB volume (formatting it only the very first time).
set -euo pipefail
echo "ECS_CLUSTER=${cluster}" >> /etc/ecs/ecs.config
token=$(curl -sX PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
instance=$(curl -s -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id)
aws ec2 attach-volume --volume-id "${volume_id}" --instance-id "$instance" --device /dev/xvdf
aws ec2 wait volume-in-use --volume-ids "${volume_id}"
while [ ! -e /dev/xvdf ]; do sleep 1; done
blkid /dev/xvdf || mkfs -t ext4 /dev/xvdf
mkdir -p ${mount}
echo "/dev/xvdf ${mount} ext4 defaults,nofail 0 2" >> /etc/fstab
mount -a
mkdir -p ${mount}/data ${mount}/etc
