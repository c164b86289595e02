/**
 * The contract suite that every server variant must pass. It is all test code, under
 * {@code src/test}: start with {@code ContractSuiteIT} and {@code Contract}, and see this module's
 * README. This file only gives the module a main source set, which the build expects.
 */
package dev.socketchat.contract;
