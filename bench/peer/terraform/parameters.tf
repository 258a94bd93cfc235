# Settings in the Parameter Store: 5 in the seed stack; the scale series sets
# parameter_count to 100, 1,000 and 5,000.

resource "aws_ssm_parameter" "setting" {
  count = var.parameter_count
  name  = "/${var.name}/setting-${count.index}"
  type  = "String"
  value = "value-${count.index}"
}
