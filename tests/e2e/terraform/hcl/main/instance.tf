# What reconcile cannot adopt, which the import must list as skipped: an
# instance (a type it lacks), a data source, a resource of Terraform's builtin
# provider. The volume attachment is adopted (its instance id is a literal in
# the TOML stack). The instance stays outside the VPC, so that reconcile's
# destroy of the VPC does not wait on an object it does not manage.

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_instance" "bastion" {
  ami           = "ami-03cf127a"
  instance_type = "t3.micro"
  tags          = { Name = "${var.name}-bastion" }
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-west-2a"
  size              = 8
  tags              = { Name = "${var.name}-scratch" }
}

resource "aws_volume_attachment" "scratch" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.scratch.id
  instance_id = aws_instance.bastion.id
}

resource "terraform_data" "release" {
  input = "${var.name}-${length(data.aws_availability_zones.available.names)}"
}
