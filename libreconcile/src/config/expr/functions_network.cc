// Network functions: cidrsubnet, cidrsubnets, cidrhost and cidrnetmask, for
// IPv4 and IPv6.
#include "config/expr/functions_network.h"

#include <arpa/inet.h>

#include <cstring>

#include "config/expr/functions.h"

namespace reconcile::config {
namespace {

__extension__ typedef unsigned __int128 Address;

// A parsed CIDR prefix: the address as a 128-bit number and its size.
struct Prefix {
  Address address = 0;
  int length = 0;
  int bits = 32;  // 32 for IPv4, 128 for IPv6

  Address HostMask() const {
    int host_bits = bits - length;
    return host_bits >= 128 ? ~Address(0) : (Address(1) << host_bits) - 1;
  }
  Address Network() const { return address & ~HostMask(); }
};

bool ParseLength(const std::string& text, int limit, int* out) {
  if (text.empty() || text.size() > 3) return false;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return n <= limit;
}

bool ParsePrefix(const std::string& text, Prefix* out) {
  std::size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  std::string host = text.substr(0, slash);
  unsigned char bytes[16];
  if (inet_pton(AF_INET, host.c_str(), bytes) == 1) {
    out->bits = 32;
    out->address = 0;
    for (int i = 0; i < 4; ++i) out->address = (out->address << 8) | bytes[i];
  } else if (inet_pton(AF_INET6, host.c_str(), bytes) == 1) {
    out->bits = 128;
    out->address = 0;
    for (int i = 0; i < 16; ++i) out->address = (out->address << 8) | bytes[i];
  } else {
    return false;
  }
  return ParseLength(text.substr(slash + 1), out->bits, &out->length);
}

std::string FormatAddress(Address address, int bits) {
  unsigned char bytes[16];
  const int count = bits / 8;
  for (int i = count - 1; i >= 0; --i) {
    bytes[i] = static_cast<unsigned char>(address & 0xFF);
    address >>= 8;
  }
  char text[INET6_ADDRSTRLEN];
  inet_ntop(bits == 32 ? AF_INET : AF_INET6, bytes, text, sizeof text);
  return text;
}

bool GetPrefix(const std::vector<Value>& args, CallContext& call, Prefix* prefix) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return false;
  if (ParsePrefix(text, prefix)) return true;
  call.ArgumentError(0, "\"" + text + "\" is not a CIDR prefix like \"10.0.0.0/16\" or "
                     "\"fd00::/8\"");
  return false;
}

Value CidrSubnet(const std::vector<Value>& args, CallContext& call) {
  Prefix prefix;
  std::int64_t new_bits = 0, number = 0;
  if (!GetPrefix(args, call, &prefix) || !call.GetInteger(args, 1, &new_bits) ||
      !call.GetInteger(args, 2, &number)) {
    return Value();
  }
  if (new_bits < 0 || prefix.length + new_bits > prefix.bits) {
    call.ArgumentError(1, "cannot extend a /" + std::to_string(prefix.length) + " prefix by " +
                              std::to_string(new_bits) + " bits in a " +
                              std::to_string(prefix.bits) + "-bit address");
    return Value();
  }
  const int length = prefix.length + static_cast<int>(new_bits);
  if (number < 0 || (new_bits < 63 && number >= (std::int64_t{1} << new_bits))) {
    call.ArgumentError(2, "a prefix extension of " + std::to_string(new_bits) +
                              " bits does not accommodate a subnet numbered " +
                              std::to_string(number));
    return Value();
  }
  const int shift = prefix.bits - length;
  Address subnet = prefix.Network() | (shift >= 128 ? 0 : Address(number) << shift);
  return Value::String(FormatAddress(subnet, prefix.bits) + "/" + std::to_string(length));
}

// Masks of the given length within an address of `bits` bits.
Address HostMaskOf(int length, int bits) {
  const int host_bits = bits - length;
  return host_bits >= 128 ? ~Address(0) : (Address(1) << host_bits) - 1;
}

Address Truncate(Address a, int bits) { return bits >= 128 ? a : a & ((Address(1) << bits) - 1); }

// Consecutive subnets, each aligned to its own size and following the one
// before (Terraform's allocation): cidrsubnets("10.0.0.0/16", 8, 4) gives
// 10.0.0.0/24 and 10.0.16.0/20.
Value CidrSubnets(const std::vector<Value>& args, CallContext& call) {
  Prefix prefix;
  if (!GetPrefix(args, call, &prefix)) return Value();
  std::vector<int> lengths;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::int64_t new_bits = 0;
    if (!call.GetInteger(args, i, &new_bits)) return Value();
    if (new_bits < 0 || prefix.length + new_bits > prefix.bits) {
      call.ArgumentError(i, "cannot extend a /" + std::to_string(prefix.length) + " prefix by " +
                                std::to_string(new_bits) + " bits in a " +
                                std::to_string(prefix.bits) + "-bit address");
      return Value();
    }
    lengths.push_back(prefix.length + static_cast<int>(new_bits));
  }
  ValueList out;
  if (lengths.empty()) return Value::List(std::move(out));
  const Address network = prefix.Network();
  const Address network_mask = ~prefix.HostMask();
  // Start from the subnet just before the network, at the first size.
  Address current = Truncate(network - 1, prefix.bits) & ~HostMaskOf(lengths[0], prefix.bits);
  int current_length = lengths[0];
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    const int length = lengths[i];
    const Address current_last = current | HostMaskOf(current_length, prefix.bits);
    const Address aligned = current_last & ~HostMaskOf(length, prefix.bits);
    const Address next = Truncate((aligned | HostMaskOf(length, prefix.bits)) + 1, prefix.bits);
    if (next == 0 || (next & network_mask) != network) {
      call.ArgumentError(i + 1, "not enough remaining address space for a subnet with a prefix "
                                "of " + std::to_string(length) + " bits after " +
                                FormatAddress(current, prefix.bits) + "/" +
                                std::to_string(current_length));
      return Value();
    }
    current = next;
    current_length = length;
    out.push_back(Value::String(FormatAddress(current, prefix.bits) + "/" + std::to_string(length)));
  }
  return Value::List(std::move(out));
}

Value CidrHost(const std::vector<Value>& args, CallContext& call) {
  Prefix prefix;
  std::int64_t number = 0;
  if (!GetPrefix(args, call, &prefix) || !call.GetInteger(args, 1, &number)) return Value();
  // A negative number counts back from the end of the range (-1 is the last).
  const Address mask = prefix.HostMask();
  const Address distance = number >= 0 ? Address(number) : Address(-(number + 1));
  if (distance > mask) {
    call.ArgumentError(1, "a /" + std::to_string(prefix.length) +
                              " prefix does not accommodate a host numbered " +
                              std::to_string(number));
    return Value();
  }
  const Address offset = number >= 0 ? distance : mask - distance;
  return Value::String(FormatAddress(prefix.Network() | offset, prefix.bits));
}

Value CidrNetmask(const std::vector<Value>& args, CallContext& call) {
  Prefix prefix;
  if (!GetPrefix(args, call, &prefix)) return Value();
  if (prefix.bits != 32) {
    call.ArgumentError(0, "only IPv4 prefixes have a netmask");
    return Value();
  }
  return Value::String(FormatAddress(~prefix.HostMask() & 0xFFFFFFFFu, 32));
}

}  // namespace

std::vector<Function> NetworkFunctions() {
  return {
      {"cidrsubnet", "cidrsubnet(prefix, newbits, netnum)", 3, 3, false, false, CidrSubnet},
      {"cidrsubnets", "cidrsubnets(prefix, newbits...)", 1, -1, false, false, CidrSubnets},
      {"cidrhost", "cidrhost(prefix, hostnum)", 2, 2, false, false, CidrHost},
      {"cidrnetmask", "cidrnetmask(prefix)", 1, 1, false, false, CidrNetmask},
  };
}

}  // namespace reconcile::config
