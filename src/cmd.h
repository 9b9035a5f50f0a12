/*
 * cmd.h - the commands of cancelatlas, one function each (cmd_*.c).
 * main.c's table names them with their usage and help. Each takes the
 * command's own arguments (argv[0] is its name), parses them with
 * cli_next_option() and returns the exit status.
 */
#ifndef CANCELATLAS_CMD_H
#define CANCELATLAS_CMD_H

int cmd_check(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_stale(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_corrections(int argc, char **argv);
int cmd_audits(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_monitor(int argc, char **argv);

#endif
