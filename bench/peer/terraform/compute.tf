# A launch template and an auto scaling group of one (the hoffman-house VM).

resource "aws_launch_template" "web" {
  name                   = "${var.name}-web"
  image_id               = "ami-03cf127a"
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.web.id]
  user_data              = base64encode(format("#!/bin/sh\necho volume %s\n", aws_ebs_volume.data.id))
  # moto echoes default_tags back as tag specifications: not drift.
  lifecycle {
    ignore_changes = [tag_specifications]
  }
}

resource "aws_autoscaling_group" "web" {
  name                = "${var.name}-web"
  min_size            = 1
  max_size            = 1
  desired_capacity    = 1
  vpc_zone_identifier = [aws_subnet.public["a"].id]
  health_check_type   = "EC2"
  launch_template {
    id      = aws_launch_template.web.id
    version = aws_launch_template.web.latest_version
  }
  tag {
    key                 = "Name"
    value               = "${var.name}-web"
    propagate_at_launch = true
  }
}
