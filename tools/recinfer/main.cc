#include <cstdio>
int main() { std::puts("recinfer"); return 0; }
