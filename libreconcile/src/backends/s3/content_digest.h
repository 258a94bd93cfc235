// MD5 digests of state documents (the -md5 digest Terraform records beside a
// state) and of request bodies (the Content-MD5 header S3 wants on bucket
// configuration calls).
#pragma once

#include <string>
#include <string_view>

namespace reconcile::s3 {

// Lowercase hex MD5 of `data` (32 characters).
std::string Md5Hex(std::string_view data);
// Base64 MD5 of `data`, as sent in a Content-MD5 header.
std::string Md5Base64(std::string_view data);

}  // namespace reconcile::s3
