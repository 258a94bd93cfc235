# Settings in the Parameter Store (count) and a secret one.

resource "aws_ssm_parameter" "setting" {
  count = 3
  name  = "/${var.name}/setting-${count.index}"
  type  = "String"
  value = "value-${count.index}"
}

resource "aws_ssm_parameter" "api_key" {
  name  = "/${var.name}/api-key"
  type  = "SecureString"
  value = "s3cr3t-${var.name}"
}
