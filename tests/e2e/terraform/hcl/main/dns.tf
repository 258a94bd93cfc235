# A hosted zone and two records.

resource "aws_route53_zone" "site" {
  name          = "${var.name}.example.com"
  force_destroy = true
}

resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.site.zone_id
  name    = "www.${var.name}.example.com"
  type    = "A"
  ttl     = 300
  records = ["10.70.1.10"]
}

resource "aws_route53_record" "mx" {
  zone_id = aws_route53_zone.site.zone_id
  name    = "${var.name}.example.com"
  type    = "MX"
  ttl     = 3600
  records = ["10 mail.${var.name}.example.com"]
}
