# The private subnets' network ACL: the VPC only.

resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.private["a"].id, aws_subnet.private["b"].id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.60.0.0/16"
    from_port  = 5432
    to_port    = 5432
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.60.0.0/16"
    from_port  = 1024
    to_port    = 65535
  }
  tags = { Name = "${var.name}-private" }
}
