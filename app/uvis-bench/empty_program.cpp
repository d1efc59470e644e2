// The baseline of uvis-bench --startup: a program that does nothing, linked as a uvis front or
// work library is, so that its start-up is what those libraries cost before main.
int main() { return 0; }
