/*
 * rmtree.h - delete a folder and everything in it, quickly, following
 * no symbolic link.
 */
#ifndef CANCELATLAS_RMTREE_H
#define CANCELATLAS_RMTREE_H

/**
 * rmtree_contents() - delete everything in the folder @path but the
 * entry named @keep at its top (NULL: keep nothing); @path stays. Goes
 * on past a failure, so that as much as can go goes.
 *
 * Returns: 0 (also when @path does not exist), or -1 with errno set to
 * the first failure's.
 */
int rmtree_contents(const char *path, const char *keep);

/**
 * rmtree() - delete @path: a folder with everything in it, or any other
 * file (a symbolic link itself, not what it points to).
 *
 * Returns: 0 (also when @path does not exist), or -1 with errno set.
 */
int rmtree(const char *path);

#endif
