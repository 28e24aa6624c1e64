# A Terraform definition of an order store, planned with the usage file beside it:
#
#   capacity-plan import specs/terraform/main.tf --usage specs/terraform/usage.yml -o orders.yaml
#   capacity-plan check orders.yaml
provider "aws" {
  region = "us-east-1"
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "customer_id"
  range_key    = "order_ts"

  attribute {
    name = "customer_id"
    type = "S"
  }

  attribute {
    name = "order_ts"
    type = "S"
  }

  attribute {
    name = "order_id"
    type = "S"
  }

  global_secondary_index {
    name            = "by_order_id"
    hash_key        = "order_id"
    projection_type = "KEYS_ONLY"
  }

  point_in_time_recovery {
    enabled = true
  }
}
