# The migration test's second Terraform stack: a module, applied in a second
# workspace ("staging", so its state is at env:/staging/<key>) under S3
# lockfile locking. stacks/modular/ is the same stack in TOML. The backend
# block is written by the test.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

variable "endpoint" {
  type        = string
  description = "The moto_server URL"
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
    ec2 = var.endpoint
    iam = var.endpoint
    s3  = var.endpoint
    ssm = var.endpoint
    sts = var.endpoint
  }
}

module "network" {
  source = "./modules/network"
  name   = "tfm-${terraform.workspace}"
  cidr   = "10.80.0.0/16"
}

resource "aws_ssm_parameter" "vpc_id" {
  name  = "/tfm-${terraform.workspace}/vpc-id"
  type  = "String"
  value = module.network.vpc_id
}

resource "aws_ssm_parameter" "setting" {
  count = 16
  name  = "/tfm-${terraform.workspace}/setting-${count.index}"
  type  = "String"
  value = "value-${count.index}"
}

output "vpc_id" {
  value = module.network.vpc_id
}
