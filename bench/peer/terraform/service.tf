# A Fargate service on an ECS cluster (the exii write-up): task and execution
# roles, a log group, the task definition, the service.

resource "aws_ecs_cluster" "main" {
  name = var.name
}

resource "aws_iam_role" "execution" {
  name = "${var.name}-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role" "task" {
  name = "${var.name}-task"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "task_read_parameters" {
  name = "read-parameters"
  role = aws_iam_role.task.name
  policy = jsonencode({
    Version   = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = ["ssm:GetParameters"], Resource = "*" }]
  })
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention
}

resource "aws_ecs_task_definition" "app" {
  family                   = "${var.name}-app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([{
    name         = "app",
    image        = "nginx:1.25",
    essential    = true,
    portMappings = [{ containerPort = 80, hostPort = 80, protocol = "tcp" }],
    logConfiguration = { logDriver = "awslogs", options = { awslogs-group = aws_cloudwatch_log_group.app.name, awslogs-region = "us-west-2", awslogs-stream-prefix = "app" } },
  }])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  desired_count   = 1
  network_configuration {
    subnets          = [aws_subnet.public["a"].id, aws_subnet.public["b"].id]
    security_groups  = [aws_security_group.web.id]
    assign_public_ip = true
  }
  # moto does not report availability_zone_rebalancing: not drift.
  lifecycle {
    ignore_changes = [availability_zone_rebalancing]
  }
}
