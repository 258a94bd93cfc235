# The peer benchmark's stack in HCL: the same objects as bench/peer/stack/
# (each .toml file there has a namesake .tf here). The provider talks to the
# benchmark's moto_server; the backend block is written by peer_bench.py.

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
  default = "peer-tf"
}

variable "log_retention" {
  type    = number
  default = 30
}

variable "parameter_count" {
  type    = number
  default = 5
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
  endpoints {
    autoscaling = var.endpoint
    dynamodb    = var.endpoint
    ec2         = var.endpoint
    ecs         = var.endpoint
    iam         = var.endpoint
    logs        = var.endpoint
    route53     = var.endpoint
    s3          = var.endpoint
    ssm         = var.endpoint
    sts         = var.endpoint
  }
  default_tags {
    tags = { bench = "peer", tool = var.name }
  }
}
