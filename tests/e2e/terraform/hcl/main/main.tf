# The migration test's Terraform stack: every AWS resource type reconcile
# supports, plus what it must skip (an aws_instance, a data source, a
# resource of Terraform's builtin provider). stacks/main/ is the same stack in
# TOML. The backend block is written by the test.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

variable "endpoint" {
  type        = string
  description = "The moto_server URL"
}

variable "name" {
  type    = string
  default = "tfm"
}

locals {
  zones = { a = "us-west-2a", b = "us-west-2b" }
}

provider "aws" {
  region                      = "us-west-2"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true
  # reconcile's ownership tags, on what it created: not Terraform's to remove.
  ignore_tags {
    key_prefixes = ["reconcile:"]
  }
  endpoints {
    autoscaling = var.endpoint
    dynamodb    = var.endpoint
    ec2         = var.endpoint
    ecs         = var.endpoint
    efs         = var.endpoint
    iam         = var.endpoint
    logs        = var.endpoint
    route53     = var.endpoint
    s3          = var.endpoint
    ssm         = var.endpoint
    sts         = var.endpoint
  }
  default_tags {
    tags = { team = "platform" }
  }
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "public_subnets" {
  value = [for s in aws_subnet.public : s.id]
}

output "api_key" {
  value     = aws_ssm_parameter.api_key.value
  sensitive = true
}
